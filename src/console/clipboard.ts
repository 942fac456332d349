/**
 * `--copy`: the sign-in URL onto the clipboard, always through the tool's stdin (never its
 * argv). Over SSH the local clipboard tools would fill the remote machine's clipboard, so the
 * terminal's own OSC 52 sequence is used instead; the caller writes it to the terminal.
 */
import { delimiter, join } from 'node:path';
import { statSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { isWsl } from './browser.js';

export type ClipboardWay = { kind: 'osc52' } | { kind: 'tool'; argv: string[] };

function found(name: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      return statSync(join(dir, name)).isFile();
    } catch {
      return false;
    }
  });
}

export function clipboardWay(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): ClipboardWay {
  if (env.SSH_TTY || env.SSH_CONNECTION) return { kind: 'osc52' };
  const candidates: string[][] = [];
  if (platform === 'darwin') candidates.push(['pbcopy']);
  if (env.WAYLAND_DISPLAY) candidates.push(['wl-copy']);
  if (env.DISPLAY) candidates.push(['xclip', '-selection', 'clipboard'], ['xsel', '--clipboard', '--input']);
  if (isWsl(env, platform)) candidates.push(['clip.exe']);
  const tool = candidates.find((argv) => found(argv[0]!, env));
  if (tool) return { kind: 'tool', argv: tool };
  const wanted = candidates.length ? candidates.map((c) => c[0]).join(', ') : 'wl-copy (Wayland), xclip (X11) or pbcopy (macOS)';
  throw new ConfigError(`--copy: no clipboard tool found (looked for ${wanted}); use --print or open the browser instead`);
}

/** OSC 52 "set the clipboard": understood by most terminals (in tmux, with `set -g set-clipboard on`). */
export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}

export async function copyWithTool(argv: string[], text: string, env: NodeJS.ProcessEnv): Promise<void> {
  const { spawn } = await import('node:child_process');
  await new Promise<void>((resolve, reject) => {
    // stdout/stderr ignored: xclip and wl-copy fork a server that keeps them open.
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'ignore', 'ignore'], env });
    child.on('error', (err: NodeJS.ErrnoException) => reject(new ConfigError(`--copy: cannot run ${argv[0]} (${err.code ?? 'error'})`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new ConfigError(`--copy: ${argv[0]} failed (exit ${code})`))));
    child.stdin.on('error', () => undefined);
    child.stdin.end(text);
  });
}
