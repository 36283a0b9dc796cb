import type { Prompter } from '../../electron/cli/keys-passphrase';

/** A prompt that answers from a script (in order) and records the questions; an extra question fails. */
export function scripted(answers: string[]): Prompter & { questions: string[] } {
  const questions: string[] = [];
  const prompt = (question: string): Promise<string> => {
    questions.push(question);
    const answer = answers.shift();
    return answer === undefined ? Promise.reject(new Error(`unexpected prompt: ${question}`)) : Promise.resolve(answer);
  };
  return Object.assign(prompt, { questions });
}
