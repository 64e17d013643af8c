import { describe, expect, it } from 'vitest';
import { LruCache } from './LruCache.ts';

describe('LruCache', () => {
  it('evicts the least recently used entries past its weight budget', () => {
    const cache = new LruCache<string, number>(10, (v) => v);
    cache.set('a', 4);
    cache.set('b', 4);
    expect(cache.get('a')).toBe(4); // a is now newer than b
    cache.set('c', 4); // 12 > 10: b goes
    expect(cache.has('b')).toBe(false);
    expect(cache.has('a')).toBe(true);
    expect(cache.weight).toBe(8);
    cache.set('a', 9); // replacing a: 4 + 9 > 10, so c goes
    expect([...['a', 'b', 'c'].filter((k) => cache.has(k))]).toEqual(['a']);
    expect(cache.weight).toBe(9);
  });

  it('does not keep a value heavier than the whole budget, and deletes cleanly', () => {
    const cache = new LruCache<number, number>(5, (v) => v);
    cache.set(1, 6);
    expect(cache.size).toBe(0);
    cache.set(2, 2);
    cache.set(3, 2);
    cache.delete(2);
    cache.delete(2);
    expect(cache.size).toBe(1);
    expect(cache.weight).toBe(2);
    cache.set(4, 3);
    expect(cache.get(3)).toBe(2);
    expect(cache.get(4)).toBe(3);
  });

  it('stays consistent over many mixed operations (compared with a plain model)', () => {
    const cache = new LruCache<number, number>(100, (v) => v);
    let model: [number, number][] = []; // oldest first
    let seed = 7;
    const next = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let i = 0; i < 20000; i++) {
      const key = next(50);
      const op = next(3);
      if (op === 0) {
        const value = 1 + next(30);
        cache.set(key, value);
        model = model.filter(([k]) => k !== key);
        model.push([key, value]);
        let weight = model.reduce((s, [, v]) => s + v, 0);
        while (weight > 100) weight -= model.shift()![1];
      } else if (op === 1) {
        const hit = model.find(([k]) => k === key);
        expect(cache.get(key)).toBe(hit?.[1]);
        if (hit !== undefined) model = [...model.filter(([k]) => k !== key), hit];
      } else {
        cache.delete(key);
        model = model.filter(([k]) => k !== key);
      }
      expect(cache.size).toBe(model.length);
    }
    expect(cache.weight).toBe(model.reduce((s, [, v]) => s + v, 0));
  });
});
