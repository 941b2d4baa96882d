import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { readSecretValue, SecretInput } from '../../lib/secrets/read-value';

/** A terminal stand-in: records raw-mode switches; the test types into it. */
class FakeTerminal extends EventEmitter implements SecretInput {
  readonly isTTY = true;
  readonly rawModes: boolean[] = [];
  setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  type(text: string): void {
    this.emit('data', Buffer.from(text, 'utf8'));
  }
}

function prompt(): { text: string; write(s: string): boolean } {
  return {
    text: '',
    write(s: string) {
      this.text += s;
      return true;
    },
  };
}

describe('readSecretValue from a pipe', () => {
  it.each([
    ['value\n', 'value'],
    ['value\r\n', 'value'],
    ['value', 'value'],
    ['line1\nline2\n\n', 'line1\nline2\n'],
    ['  padded  \n', '  padded  '],
  ])('%j is read as %j (one trailing newline stripped)', async (input, expected) => {
    const stream = new PassThrough();
    stream.end(input);
    await expect(readSecretValue(stream, prompt(), '/edu/dev/x')).resolves.toBe(expected);
  });

  it.each(['', '\n', '  \n', '\r\n'])('refuses %j as empty', async (input) => {
    const stream = new PassThrough();
    stream.end(input);
    await expect(readSecretValue(stream, prompt(), '/edu/dev/x')).rejects.toThrow('Refusing to write an empty value to /edu/dev/x');
  });
});

describe('readSecretValue from a terminal', () => {
  it('prompts on the prompt stream, reads in raw mode without echo, honours backspace and restores the terminal', async () => {
    const tty = new FakeTerminal();
    const out = prompt();
    const value = readSecretValue(tty, out, '/edu/dev/airflow/fernet-key');
    tty.type('s3cr');
    tty.type('etX\u007f!');
    tty.type('\r');
    await expect(value).resolves.toBe('s3cret!');
    expect(tty.rawModes).toEqual([true, false]);
    expect(out.text).toBe('Value for /edu/dev/airflow/fernet-key (input hidden; Enter to finish, Ctrl-C to cancel): \n');
    expect(tty.listenerCount('data')).toBe(0);
  });

  it('cancels on Ctrl-C and restores the terminal', async () => {
    const tty = new FakeTerminal();
    const value = readSecretValue(tty, prompt(), '/edu/dev/x');
    tty.type('abc\u0003');
    await expect(value).rejects.toThrow('Cancelled; nothing was written');
    expect(tty.rawModes).toEqual([true, false]);
  });

  it('refuses an empty line', async () => {
    const tty = new FakeTerminal();
    const value = readSecretValue(tty, prompt(), '/edu/dev/x');
    tty.type('\r');
    await expect(value).rejects.toThrow('Refusing to write an empty value');
  });
});
