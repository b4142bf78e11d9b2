import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Imports the framework-free domain core must never use. */
export const DOMAIN_FORBIDDEN_IMPORTS = [
  'fastify',
  'fastify-plugin',
  '@fastify/*',
  'fastify-type-provider-zod',
  'xstate',
  '@xstate/*',
  '@modelcontextprotocol/*',
  'twilio',
  'openai',
  '@anthropic-ai/*',
  '@elevenlabs/*',
  'ws',
  'pino',
  'prom-client',
  'pg-boss',
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'coverage/**', 'migrations/**', 'console/dist/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: DOMAIN_FORBIDDEN_IMPORTS,
              message:
                'src/domain is framework-free: no web framework, state machine, MCP, logging or vendor SDK imports.',
            },
            {
              group: ['**/http/**', '**/mcp/**', '**/tools/**', '**/voice/**', '**/call-server/**'],
              message: 'The domain core does not import the surfaces.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Domain code receives configuration; it never reads process.env.',
        },
      ],
    },
  },
);
