import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { xdgPaths } from '../src/xdg-dirs.js';

describe('xdgPaths', () => {
  it('defaults under HOME from the environment given', () => {
    expect(xdgPaths({ HOME: '/home/alice' })).toEqual({
      configDir: '/home/alice/.config/awsguard',
      cacheDir: '/home/alice/.cache/awsguard',
      stateDir: '/home/alice/.local/state/awsguard',
    });
  });

  it('follows absolute XDG_* directories', () => {
    expect(xdgPaths({ HOME: '/h', XDG_CONFIG_HOME: '/c', XDG_CACHE_HOME: '/k', XDG_STATE_HOME: '/s' })).toEqual({
      configDir: '/c/awsguard',
      cacheDir: '/k/awsguard',
      stateDir: '/s/awsguard',
    });
  });

  it('ignores relative and empty XDG_* values, as the spec says', () => {
    expect(xdgPaths({ HOME: '/h', XDG_CONFIG_HOME: 'relative/conf', XDG_CACHE_HOME: '', XDG_STATE_HOME: './s' })).toEqual({
      configDir: '/h/.config/awsguard',
      cacheDir: '/h/.cache/awsguard',
      stateDir: '/h/.local/state/awsguard',
    });
  });

  it('asks the system only when HOME is missing', () => {
    expect(xdgPaths({}).configDir).toBe(`${homedir()}/.config/awsguard`);
  });
});
