/**
 * A small, strict argv parser: every command declares its flags, unknown ones are usage
 * errors with the closest match, and everything after `--` belongs to a child command.
 */
import { UsageError } from './errors.js';
import { closest } from './suggest.js';

export interface FlagSpec {
  type: 'boolean' | 'string';
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help, e.g. `PROFILE`. */
  value?: string;
  description: string;
  /** Hidden flags work but are not listed in help or completions. */
  hidden?: boolean;
}

export type FlagSpecs = Record<string, FlagSpec>;

export type FlagValues<S extends FlagSpecs> = {
  [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : S[K]['multiple'] extends true ? string[] : string;
};

export interface ParsedArgs<S extends FlagSpecs = FlagSpecs> {
  flags: FlagValues<S>;
  positionals: string[];
  /** Arguments after `--`, untouched; `undefined` when there was no `--`. */
  rest: string[] | undefined;
}

export interface ParseOptions {
  /** The first positional starts a child command: it and everything after go to `rest` (like `env`, `sudo`). */
  commandAfterPositional?: boolean;
}

export function parseArgs<S extends FlagSpecs>(argv: readonly string[], specs: S, command: string, options: ParseOptions = {}): ParsedArgs<S> {
  const flags: Record<string, boolean | string | string[]> = {};
  const positionals: string[] = [];
  let rest: string[] | undefined;
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) if (spec.short) byShort.set(spec.short, name);

  const set = (name: string, value: boolean | string) => {
    const spec = specs[name]!;
    if (spec.multiple && typeof value === 'string') {
      const list = (flags[name] as string[] | undefined) ?? [];
      list.push(value);
      flags[name] = list;
    } else {
      flags[name] = value;
    }
  };
  const unknown = (shown: string): never => {
    const names = Object.entries(specs)
      .filter(([, s]) => !s.hidden)
      .map(([n]) => `--${n}`);
    const near = closest(shown, names, 1);
    throw new UsageError(
      `${command}: unknown flag ${shown}${near.length ? ` (did you mean ${near[0]}?)` : ''}; see 'awsguard help ${command}'`,
    );
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest = argv.slice(i + 1);
      break;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      let name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      let negated = false;
      if (!(name in specs) && name.startsWith('no-') && specs[name.slice(3)]?.type === 'boolean') {
        name = name.slice(3);
        negated = true;
      }
      const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
      if (!spec) unknown(eq === -1 ? arg : arg.slice(0, eq));
      if (spec!.type === 'boolean') {
        if (eq !== -1) throw new UsageError(`${command}: --${name} takes no value`);
        set(name, !negated);
      } else {
        let value: string | undefined;
        if (eq !== -1) value = arg.slice(eq + 1);
        else value = argv[++i];
        if (value === undefined) throw new UsageError(`${command}: --${name} needs a value (${spec!.value ?? 'VALUE'})`);
        set(name, value);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1 && arg !== '-') {
      // Bundled short flags: `-qp prod`, `-pprod`.
      for (let j = 1; j < arg.length; j++) {
        const ch = arg[j]!;
        const name = byShort.get(ch);
        if (!name) unknown(`-${ch}`);
        const spec = specs[name!]!;
        if (spec.type === 'boolean') {
          set(name!, true);
          continue;
        }
        let value: string | undefined = arg.slice(j + 1);
        if (value === '') value = argv[++i];
        if (value === undefined) throw new UsageError(`${command}: -${ch} needs a value (${spec.value ?? 'VALUE'})`);
        set(name!, value);
        break;
      }
      continue;
    }
    if (options.commandAfterPositional) {
      rest = argv.slice(i);
      break;
    }
    positionals.push(arg);
  }
  return { flags: flags as FlagValues<S>, positionals, rest };
}
