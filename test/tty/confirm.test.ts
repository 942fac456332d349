import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GuardRefusal } from '../../src/errors.js';
import { askOnTerminal, LineEditor, PromptCancelled } from '../../src/tty/ask.js';
import { ConfirmationCancelled, confirmTyped } from '../../src/tty/confirm.js';
import { runInPty } from '../support/pty.js';

const FIXTURE = fileURLToPath(new URL('../fixtures-bin/confirm.ts', import.meta.url));
// A person's terminal: no CI, a small fixed environment.
const ENV: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm' };

const refusal = async (p: Promise<unknown>): Promise<GuardRefusal> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GuardRefusal);
  return err as GuardRefusal;
};

describe('confirmTyped: --confirm', () => {
  it('accepts exactly the expected value, without touching any terminal', async () => {
    await expect(confirmTyped('acme-prod', { prompt: 'x', confirmFlag: 'acme-prod', ttyPath: '/nonexistent' })).resolves.toBe('flag');
  });

  it.each(['acme-staging', 'ACME-PROD', ' acme-prod', 'acme-prod ', ''])('refuses %j', async (value) => {
    const err = await refusal(confirmTyped('acme-prod', { prompt: 'x', confirmFlag: value }));
    expect(err.reason).toBe('wrong-confirm-flag');
    expect(err.exitCode).toBe(5);
  });
});

describe('confirmTyped: on given streams', () => {
  const ask = (expected: string, typed: string[], before = '') => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.setEncoding('utf8');
    if (before) input.write(before);
    output.on('data', (d: string) => {
      const first = shown === '';
      shown += d;
      // Type only once the prompt is on the screen, like a person.
      if (first) for (const t of typed) input.write(t);
    });
    const result = confirmTyped(expected, { prompt: 'Type it: ', input, output, typeaheadMs: 20 });
    return { result, shown: () => shown };
  };

  it('takes the typed line, with backspace, Ctrl-U and arrow keys edited away', async () => {
    await expect(ask('acme-prod', ['acme-prox\x7fd\r']).result).resolves.toBe('typed');
    await expect(ask('acme-prod', ['junk\x15acme-prod\n']).result).resolves.toBe('typed');
    await expect(ask('acme-prod', ['acme\x1b[D\x1b[1;5C\x1bOA-prod\r']).result).resolves.toBe('typed');
  });

  it('compares exactly: case and spaces count', async () => {
    for (const typed of ['ACME-PROD\r', ' acme-prod\r', 'acme-prod \r', 'acme-staging\r', '\r']) {
      const err = await refusal(ask('acme-prod', [typed]).result);
      expect(err.reason).toBe('wrong-confirmation');
      expect(err.exitCode).toBe(5);
    }
  });

  it('Ctrl-C, or Ctrl-D on an empty line, cancels with exit code 130', async () => {
    for (const typed of ['acme\x03', '\x04']) {
      const err = await refusal(ask('acme-prod', [typed]).result);
      expect(err).toBeInstanceOf(ConfirmationCancelled);
      expect(err.reason).toBe('cancelled');
      expect(err.exitCode).toBe(130);
    }
  });

  it('ignores what was waiting before the prompt', async () => {
    const err = await refusal(ask('acme-prod', ['wrong\r'], 'acme-prod\r').result);
    expect(err.reason).toBe('wrong-confirmation');
  });

  it('echoes what is typed after the prompt', async () => {
    const q = ask('acme-prod', ['acme-prod\r']);
    await q.result;
    expect(q.shown()).toBe('Type it: acme-prod\n');
  });
});

describe('LineEditor', () => {
  const edit = (...chunks: string[]) => {
    let echoed = '';
    const ed = new LineEditor((t) => (echoed += t));
    let out;
    for (const c of chunks) out ??= ed.feed(c);
    return { out, echoed };
  };

  it('handles characters split across chunks, including escape sequences and non-ASCII', () => {
    expect(edit('ac', 'me\x1b', '[', '2', '~-prödé\x7f', '\r').out).toEqual({ cancelled: false, line: 'acme-pröd' });
  });

  it('drops control characters and never echoes them', () => {
    const r = edit('a\x07\x00b\x9bc\r');
    expect(r.out).toEqual({ cancelled: false, line: 'abc' });
    expect(r.echoed).toBe('abc\n');
  });

  it('ignores Ctrl-D on a non-empty line and backspace on an empty one', () => {
    expect(edit('\x7fab\x04\r').out).toEqual({ cancelled: false, line: 'ab' });
  });
});

/** The fixture in a real pseudo-terminal, optionally behind `sh -c 'PRODUCER | fixture'`. */
function inPty(args: string[], opts: { pipeFrom?: string; readStdin?: boolean; typeaheadMs?: number } = {}) {
  const fixture = [process.execPath, '--import', 'tsx', FIXTURE, ...args].map((a) => `'${a}'`).join(' ');
  const [file, argv] = opts.pipeFrom ? ['/bin/sh', ['-c', `${opts.pipeFrom} | ${fixture}`]] : [process.execPath, ['--import', 'tsx', FIXTURE, ...args]];
  const t = runInPty(file, argv, { ...ENV, ...(opts.readStdin ? { READ_STDIN: '1' } : {}), ...(opts.typeaheadMs ? { TYPEAHEAD_MS: String(opts.typeaheadMs) } : {}) });
  return {
    pty: t.pty,
    exited: t.exited.then((e) => e.exitCode),
    output: () => t.output().replace(/\r\n/g, '\n'),
    waitFor: (text: string) => t.waitFor(text),
  };
}

describe('confirmTyped: in a real terminal', () => {
  const PROMPT = 'Type acme-prod to continue: ';

  it('the right alias confirms; the terminal is as it was', async () => {
    const t = inPty(['acme-prod']);
    await t.waitFor(PROMPT);
    t.pty.write('acme-prod\r');
    expect(await t.exited).toBe(0);
    expect(t.output()).toContain(`${PROMPT}acme-prod\nOUTCOME typed\nSTTY same\n`);
  });

  it('a wrong one is refused', async () => {
    const t = inPty(['acme-prod']);
    await t.waitFor(PROMPT);
    t.pty.write('acme-staging\r');
    expect(await t.exited).toBe(5);
    expect(t.output()).toContain('REFUSED wrong-confirmation 5 typed "acme-staging", which is not acme-prod; nothing was run\nSTTY same\n');
  });

  it('Ctrl-C cancels with 130, prints nothing more than the outcome, and restores the terminal', async () => {
    const t = inPty(['acme-prod']);
    await t.waitFor(PROMPT);
    t.pty.write('acme\x03');
    expect(await t.exited).toBe(130);
    const after = t.output().slice(t.output().indexOf(PROMPT));
    expect(after).toBe(`${PROMPT}acme^C\nREFUSED cancelled 130 cancelled at the confirmation; nothing was run\nSTTY same\n`);
  });

  it('a line typed before the question was shown does not confirm', async () => {
    const t = inPty(['acme-prod']);
    t.pty.write('acme-prod\r'); // before node has even started
    await t.waitFor(PROMPT);
    t.pty.write('nope\r');
    expect(await t.exited).toBe(5);
    expect(t.output()).toContain('REFUSED wrong-confirmation');
  });

  it('what was typed before is thrown away at once, not only within the discard window', async () => {
    // A window of 1 ms would lose the race against a busy machine; the synchronous drain does not.
    const t = inPty(['acme-prod'], { typeaheadMs: 1 });
    t.pty.write('acme-prod\r');
    await t.waitFor(PROMPT);
    t.pty.write('nope\r');
    expect(await t.exited).toBe(5);
    expect(t.output()).toContain('REFUSED wrong-confirmation');
  });

  it('stdin full of the right answer does not confirm, and reaches the program untouched', async () => {
    const t = inPty(['acme-prod'], { pipeFrom: "printf 'acme-prod\\nacme-prod\\n'", readStdin: true });
    await t.waitFor(PROMPT);
    t.pty.write('wrong\r');
    expect(await t.exited).toBe(5);
    expect(t.output()).toContain('REFUSED wrong-confirmation');
    expect(t.output()).toContain('STDIN "acme-prod\\nacme-prod\\n"');
  });

  it('`yes ALIAS | program` waits for the person', async () => {
    const t = inPty(['acme-prod'], { pipeFrom: 'yes acme-prod' });
    await t.waitFor(PROMPT);
    t.pty.write('\x03');
    expect(await t.exited).toBe(130);
    expect(t.output()).not.toContain('OUTCOME');
  });

  it('a SIGTERM at the prompt still restores the terminal, and exits 143', async () => {
    const t = inPty(['acme-prod']);
    await t.waitFor(PROMPT);
    process.kill(t.pty.pid, 'SIGTERM');
    expect(await t.exited).toBe(143);
    expect(t.output()).toContain('REFUSED cancelled 143 SIGTERM at the confirmation; nothing was run\nSTTY same\n');
  });

  it('--confirm works in a terminal too, without asking', async () => {
    const t = inPty(['acme-prod', '--confirm', 'acme-prod']);
    expect(await t.exited).toBe(0);
    expect(t.output()).toContain('OUTCOME flag');
    expect(t.output()).not.toContain(PROMPT);
  });
});

describe('confirmTyped: without a controlling terminal', () => {
  it('refuses with no-terminal and says how to proceed', async () => {
    // detached: a new session with no controlling terminal, as under cron or CI.
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, 'acme-prod'], { env: ENV, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end('acme-prod\n');
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(out).toContain('TTY-OPEN ENXIO'); // really no terminal, not just a failure of ours
    expect(out).toContain('REFUSED no-terminal 5 acme-prod is a protected account and there is no terminal to confirm on');
    expect(out).toContain('pass --confirm acme-prod');
    expect(code).toBe(5);
  });

  it('refuses when the terminal path is not a terminal', async () => {
    const err = await refusal(confirmTyped('acme-prod', { prompt: 'x', ttyPath: '/dev/null' }));
    expect(err.reason).toBe('no-terminal');
    expect(err.message).toContain('/dev/null is not a terminal');
  });
});

describe('asking on the terminal: what is shown', () => {
  it('the question is cleaned: a name in it cannot rewrite the line', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.setEncoding('utf8').on('data', (d: string) => {
      const first = shown === '';
      shown += d;
      if (first) input.write('333333333333\r');
    });
    const outcome = await confirmTyped('333333333333', { prompt: 'ev\x1b[2K\x1b]0;t\x07\r\n\x9b2J\u202eil reaches 333333333333. Type it: ', input, output, typeaheadMs: 5 });
    expect(outcome).toBe('typed');
    expect(shown).toBe('ev?[2K?]0;t????2J?il reaches 333333333333. Type it: 333333333333\n');
  });

  it('without echo nothing typed is shown, not even backspaces', () => {
    let echoed = '';
    const ed = new LineEditor((t) => (echoed += t), false);
    expect(ed.feed('12\x7f3456\r')).toEqual({ cancelled: false, line: '13456' });
    expect(echoed).toBe('\n');
  });

  it('a hidden question cancels with Ctrl-C like any other', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const asked = askOnTerminal('MFA code: ', { echo: false, input, output });
    input.write('12\x03');
    const err = await asked.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PromptCancelled);
    expect((err as PromptCancelled).exitCode).toBe(130);
  });
});
