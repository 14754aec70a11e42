// The undo history: inverse operations run in order, failures keep the stack intact, a new edit
// drops the redo branch, and concurrent undo calls never interleave.
import { describe, expect, it } from 'vitest';
import { History } from '../../renderer/state/history.js';
import { mappingPatch } from '../../renderer/state/use-edit-actions.js';

function counter() {
  const state = { value: 0, log: [] as string[] };
  const edit = (delta: number, label: string) => ({
    label,
    undo: async () => { state.value -= delta; state.log.push(`undo ${label}`); },
    redo: async () => { state.value += delta; state.log.push(`redo ${label}`); },
  });
  return { state, edit };
}

describe('History', () => {
  it('undoes and redoes in reverse order', async () => {
    const h = new History();
    const { state, edit } = counter();
    state.value = 3; h.push(edit(1, 'a')); h.push(edit(2, 'b')); // applied already: 0 + 1 + 2
    expect(await h.undo()).toBe('b');
    expect(await h.undo()).toBe('a');
    expect(state.value).toBe(0);
    expect(await h.undo()).toBeNull();
    expect(await h.redo()).toBe('a');
    expect(state.value).toBe(1);
    expect(h.canRedo).toBe(true);
    h.push(edit(5, 'c'));
    expect(h.canRedo).toBe(false);
    expect(await h.redo()).toBeNull();
  });

  it('keeps an edit whose undo failed on the undo stack', async () => {
    const h = new History();
    h.push({ label: 'x', undo: async () => { throw new Error('core refused'); }, redo: async () => {} });
    await expect(h.undo()).rejects.toThrow('core refused');
    expect(h.canUndo).toBe(true);
    expect(h.undoLabel).toBe('x');
  });

  it('runs concurrent undos one after another', async () => {
    const h = new History();
    const order: string[] = [];
    const slow = (label: string, ms: number) => ({
      label,
      undo: () => new Promise<void>((r) => setTimeout(() => { order.push(label); r(); }, ms)),
      redo: async () => {},
    });
    h.push(slow('first', 5)); h.push(slow('second', 30));
    await Promise.all([h.undo(), h.undo()]);
    expect(order).toEqual(['second', 'first']);
  });

  it('drops the oldest edits beyond its limit and notifies subscribers', async () => {
    const h = new History(2);
    let calls = 0;
    h.subscribe(() => { calls++; });
    const { edit } = counter();
    h.push(edit(1, 'a')); h.push(edit(1, 'b')); h.push(edit(1, 'c'));
    expect(await h.undo()).toBe('c');
    expect(await h.undo()).toBe('b');
    expect(await h.undo()).toBeNull();
    expect(calls).toBe(5);
  });
});

describe('mappingPatch', () => {
  it('sets changed keys and clears keys the target lacks', () => {
    expect(mappingPatch({ land_use: 'lu', floors: 'fl' }, { land_use: 'lu', far: 'far' })).toEqual({ floors: null, far: 'far' });
    expect(mappingPatch({ a: 'x' }, { a: 'x' })).toEqual({});
  });
});
