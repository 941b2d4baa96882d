import { SecretsError } from './errors';

/** The parts of process.stdin the reader uses, so tests can stand in a terminal. */
export interface SecretInput {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeListener(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  removeListener(event: 'end', listener: () => void): unknown;
  removeListener(event: 'error', listener: (err: Error) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Where the prompt goes: stderr, so stdout stays clean for --format json. */
export interface PromptOutput {
  write(text: string): unknown;
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u007f', '\b']);

/** Strips exactly one trailing line ending: what `echo` or a text editor adds. */
export function stripTrailingNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function readAll(input: SecretInput): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer | string): void => {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new SecretsError(`Cannot read the value from standard input (${err.message})`));
    };
    const cleanup = (): void => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('error', onError);
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume();
  });
}

/**
 * Reads a line from a terminal in raw mode, so nothing typed or pasted is
 * echoed. Enter ends it, Backspace deletes, Ctrl-C cancels.
 */
function readHidden(input: SecretInput, prompt: PromptOutput, label: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    prompt.write(`Value for ${label} (input hidden; Enter to finish, Ctrl-C to cancel): `);
    input.setRawMode?.(true);
    const finish = (err?: SecretsError): void => {
      input.removeListener('data', onData);
      input.setRawMode?.(false);
      input.pause();
      prompt.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === CTRL_C) return finish(new SecretsError('Cancelled; nothing was written'));
        if (ch === '\r' || ch === '\n' || ch === CTRL_D) return finish();
        if (BACKSPACE.has(ch)) value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

/**
 * The value for `put`: typed without echo at a terminal, otherwise all of
 * standard input with one trailing newline removed. An empty or blank value
 * is refused: it is always a mistake (an empty pipe, a missing file).
 */
export async function readSecretValue(input: SecretInput, prompt: PromptOutput, label: string): Promise<string> {
  const raw = input.isTTY ? await readHidden(input, prompt, label) : stripTrailingNewline(await readAll(input));
  if (raw.trim().length === 0) {
    throw new SecretsError(
      `Refusing to write an empty value to ${label}: pipe the value on standard input, e.g. ` +
        `edu-baseline secrets put --env <name> ${label} < value-file`,
    );
  }
  return raw;
}
