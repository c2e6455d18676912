// Finding the page's static elements and creating new ones with text content only.
// Data is never parsed as markup: there is no innerHTML anywhere in this UI.

export function byId<T extends HTMLElement>(id: string, type: { new (): T }): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`index.html lacks the element #${id}`);
  return el;
}

/** A new element whose content is `text`, as text. */
export function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className !== undefined) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}
