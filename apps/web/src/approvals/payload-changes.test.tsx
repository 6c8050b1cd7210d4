import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PayloadChanges } from './payload-changes';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

describe('PayloadChanges', () => {
  it('lists each changed path with its old and new value', () => {
    act(() =>
      root.render(
        <PayloadChanges
          previous={{ attempt: 1, payload: { input: { amount: 10, memo: 'x' } } }}
          current={{ input: { amount: 12, note: '<b>urgent</b>' } }}
        />,
      ),
    );
    const items = [...container.querySelectorAll('li')].map((li) => li.textContent);
    expect(items).toEqual([
      'input.amount changed: 10 → 12',
      'input.note added: "<b>urgent</b>"',
      'input.memo removed: "x"',
    ]);
    expect(container.querySelector('b')).toBeNull();
    expect(container.querySelector('h3')?.textContent).toBe('Changed since attempt 1');
  });

  it('says so when nothing changed', () => {
    act(() =>
      root.render(<PayloadChanges previous={{ attempt: 2, payload: { a: 1 } }} current={{ a: 1 }} />),
    );
    expect(container.textContent).toContain('Nothing: the payload is the same as at attempt 2.');
  });
});
