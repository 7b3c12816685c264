// How many dialogs are open: while one is, the sale screen's keys and focus rules stand
// aside (the dialog has the keyboard).
export const overlay = $state({ open: 0 });
