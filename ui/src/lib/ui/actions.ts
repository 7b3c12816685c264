// Small DOM helpers shared by the screens.

/** Focuses (and selects) an input as soon as it is on screen: dialogs open ready to type. */
export function autofocus(node: HTMLElement, enabled: boolean = true): void {
  if (!enabled) return;
  queueMicrotask(() => {
    node.focus();
    if (node instanceof HTMLInputElement && node.type !== 'checkbox') node.select();
  });
}

/** True for elements that keep the keyboard for themselves (the scan field is not one of them). */
export function isTextEntry(element: Element | null): boolean {
  if (element === null) return false;
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) return true;
  if (element instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(element.type);
  }
  return false;
}
