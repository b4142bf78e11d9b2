/** espeak-ng 1.0.2 ships no types: an Emscripten module factory running the espeak-ng CLI. */
declare module 'espeak-ng' {
  interface ESpeakModule {
    FS: { readFile(path: string): Uint8Array };
  }
  const ESpeakNg: (opts: { arguments: string[]; print?: () => void; printErr?: () => void }) => Promise<ESpeakModule>;
  export default ESpeakNg;
}
