import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTING, endpointingFor, expectingAfter, type Expecting } from '../../src/voice/endpointing.ts';

const cases: Record<Expecting, string[]> = {
  yes_no: [
    'That home is listed at $850,000 with 3 bedrooms. Would you like to schedule a viewing?',
    'Would you like to see it?',
    'Are you pre-approved for a mortgage, or will you be paying cash?',
    'And are you already working with an agent?',
    'Are you still there?',
    "I'm sorry, I'm having trouble understanding. Would you like me to connect you with Dana?",
    'Is this the best number to reach you?',
    'Does Tuesday at 3 pm work for you?',
    'Would you like to leave a message?',
    'Do you have a budget in mind?',
    'So that’s 141 Elm Street, right?',
    'Tomorrow at 3 pm, is that correct?',
    'Shall I book it?',
    'Can I help with the viewing too?',
    'Have you seen the property before?',
    'Did you want the 2 bedroom or the 3 bedroom?',
    'Great, thanks! Would you like me to text you the details?',
  ],
  phone: [
    "What's the best number to reach you?",
    'What is the best phone number for the agent to call you back on?',
    'Could I get a callback number?',
    'Can you confirm your cell phone number?',
    'What number can Dana call you on?',
    'And your mobile number?',
    'Please tell me your phone number.',
    'What is your name and phone number?',
  ],
  email: ["What's your email address?", 'Could you give me an email where I can send the details?'],
  spelling: ['Could you spell your last name for me?', 'How do you spell that?', 'Can you spell the street name?'],
  address: [
    'Which property are you calling about? You can give me the street address.',
    "I couldn't find that property. What is the address?",
    'What’s the street address of the home?',
    'Which listing are you interested in?',
    'Could you tell me the address?',
    'And what is the zip code?',
  ],
  name: [
    'Sure. May I have your name?',
    'And may I have your name for the booking?',
    'Sorry, could I get your name?',
    "What's your first and last name?",
    'Who am I speaking with?',
    'What name should I put the booking under?',
    'Can I get your full name please?',
  ],
  time: [
    'What day and time would you like to see it?',
    'Sorry, what day and time would you like? For example, tomorrow at 3 pm.',
    'That time doesn’t work. What other time would suit you?',
    'When would you like to come by?',
    'What time works best for you?',
    'Which day suits you?',
    "What's a good time to call you back?",
    'When is a good time for the viewing?',
  ],
  amount: [
    'What amount would you like to offer?',
    "What's your budget?",
    'How much are you looking to spend?',
    'What price range are you looking at?',
    'What would you like to offer?',
  ],
  message: ['Thanks, Sam. What would you like me to pass on?', "What's the message?", 'What should I tell Dana?'],
  free: [
    "Thanks for calling Sunrise Realty. I'm Dana's virtual assistant; I'm an AI. How can I help you today?",
    'Hi Sam, how can I help you today?',
    'Is there anything else I can help with?',
    'Noted. Is there anything else I can help with?',
    'Sure, what else can I help with?',
    'Sorry, I ran into a problem there. Could you say that again?',
    'Could you repeat that?',
    'Let me connect you with Dana. One moment, please.',
    'Thanks for calling Sunrise Realty. Have a great day. Goodbye!',
    'Okay. What can I help you with?',
    'How many bedrooms are you looking for?',
    'Why are you moving?',
    'Do you have any other questions?',
    "Could you tell me a bit more about what you're looking for?",
    'One moment.',
    '',
    '   ',
  ],
};

describe('expectingAfter (what the agent’s last reply asked for)', () => {
  for (const [expecting, texts] of Object.entries(cases)) {
    describe(expecting, () => {
      for (const text of texts) {
        it(JSON.stringify(text), () => expect(expectingAfter(text)).toBe(expecting));
      }
    });
  }

  it('reads the last question of a reply, not an earlier one nor a trailing example', () => {
    expect(expectingAfter('What day works? Also, may I have your name?')).toBe('name');
    expect(expectingAfter('May I have your name? And what day works for you?')).toBe('time');
    expect(expectingAfter('Which property is it? For example, 141 Elm St.')).toBe('address');
  });

  it('is indifferent to case, curly apostrophes and spacing', () => {
    expect(expectingAfter('WHAT’S   THE BEST NUMBER TO REACH YOU?')).toBe('phone');
    expect(expectingAfter('would you like to schedule a viewing ?')).toBe('yes_no');
  });
});

describe('endpointingFor', () => {
  it('waits longest for digits, addresses, emails and spelling, least after a yes/no question', () => {
    expect(endpointingFor('yes_no')).toBeGreaterThanOrEqual(350);
    expect(endpointingFor('yes_no')).toBeLessThanOrEqual(400);
    expect(endpointingFor('free')).toBeGreaterThanOrEqual(600);
    expect(endpointingFor('free')).toBeLessThanOrEqual(700);
    for (const slot of ['phone', 'address', 'email', 'spelling'] as const) {
      expect(endpointingFor(slot)).toBeGreaterThanOrEqual(1200);
      expect(endpointingFor(slot)).toBeLessThanOrEqual(1500);
    }
    const values = Object.values(DEFAULT_ENDPOINTING);
    expect(Math.min(...values)).toBe(endpointingFor('yes_no'));
    expect(endpointingFor('name')).toBeGreaterThan(endpointingFor('free'));
    expect(endpointingFor('time')).toBeGreaterThan(endpointingFor('free'));
  });

  it('takes overrides per kind', () => {
    expect(endpointingFor('phone', { phone: 2000 })).toBe(2000);
    expect(endpointingFor('free', { phone: 2000 })).toBe(DEFAULT_ENDPOINTING.free);
  });

  it('composes: the reply text → the silence the recognizer is given', () => {
    expect(endpointingFor(expectingAfter('Would you like to schedule a viewing?'))).toBe(400);
    expect(endpointingFor(expectingAfter("What's the best number to reach you?"))).toBe(1500);
    expect(endpointingFor(expectingAfter('How can I help you today?'))).toBe(650);
  });
});
