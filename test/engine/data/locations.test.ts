import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { defaultCacheDir, explicitDataFolder } from '../../../src/engine/data/locations';

describe('explicitDataFolder', () => {
  it.each([
    { flag: '/f', env: '/e', setting: '/s', want: '/f' },
    { flag: undefined, env: '/e', setting: '/s', want: '/e' },
    { flag: '', env: '', setting: '/s', want: '/s' },
    { flag: '  ', env: undefined, setting: ' /s ', want: '/s' },
    { flag: undefined, env: undefined, setting: '', want: undefined },
    { flag: 'rel/dir', env: undefined, setting: undefined, want: 'rel/dir' },
  ])('flag $flag, DNN_LAB_DATA $env, setting $setting -> $want', ({ flag, env, setting, want }) => {
    expect(explicitDataFolder({ flag, setting }, env === undefined ? {} : { DNN_LAB_DATA: env })).toBe(want);
  });

  it('reads process.env by default', () => {
    const saved = process.env.DNN_LAB_DATA;
    process.env.DNN_LAB_DATA = '/from/env';
    try {
      expect(explicitDataFolder({})).toBe('/from/env');
    } finally {
      if (saved === undefined) delete process.env.DNN_LAB_DATA;
      else process.env.DNN_LAB_DATA = saved;
    }
  });
});

describe('defaultCacheDir', () => {
  it.each([
    { xdg: '/xdg/cache', want: join('/xdg/cache', 'dnn-lab', 'mnist') },
    { xdg: undefined, want: join('/home/u', '.cache', 'dnn-lab', 'mnist') },
    { xdg: '', want: join('/home/u', '.cache', 'dnn-lab', 'mnist') },
    // The XDG spec says a relative value is invalid and must be ignored.
    { xdg: 'relative/cache', want: join('/home/u', '.cache', 'dnn-lab', 'mnist') },
  ])('XDG_CACHE_HOME $xdg -> $want', ({ xdg, want }) => {
    expect(defaultCacheDir(xdg === undefined ? {} : { XDG_CACHE_HOME: xdg }, '/home/u')).toBe(want);
  });
});
