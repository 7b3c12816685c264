import { getCurrentWindow } from '@tauri-apps/api/window';
import { mount } from 'svelte';
import App from './App.svelte';
import DisplayWindow from './display/DisplayWindow.svelte';
import { DISPLAY_WINDOW } from './display/feed.svelte';
import './app.css';

const target = document.getElementById('app');
if (target === null) throw new Error('missing #app element in index.html');

/** The same page serves the till's window and the customer display's (src-tauri/src/display.rs). */
function isCustomerDisplay(): boolean {
  try {
    return getCurrentWindow().label === DISPLAY_WINDOW;
  } catch {
    return false;
  }
}

export default isCustomerDisplay() ? mount(DisplayWindow, { target }) : mount(App, { target });
