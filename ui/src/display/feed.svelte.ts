// The till's side of the customer display: its setting, and what the counter shows sent to
// the display's window as Tauri events. Nothing is sent while the display is off; a display
// window that (re)opens says it is ready and gets the last view at once. A failure to send is
// no concern of the sale: the display only shows, it never holds the counter.
import { emitTo, listen } from '@tauri-apps/api/event';
import { call } from '../lib/api';
import type { DisplaySettings } from '../lib/bindings/DisplaySettings';
import { IDLE, type DisplayView } from './view';

export type { DisplaySettings } from '../lib/bindings/DisplaySettings';

/** The display window's label (src-tauri/src/display.rs). */
export const DISPLAY_WINDOW = 'customer';
/** The till's window → the display: a `DisplayView`. */
export const VIEW_EVENT = 'customer-display-view';
/** The display → the till's window: it listens now, send it the view. */
export const READY_EVENT = 'customer-display-ready';

export const displayApi = {
  settings: () => call<DisplaySettings>('display_settings'),
  /** Saves the setting; the display's window opens or closes with it. */
  save: (settings: DisplaySettings) => call<void>('set_display_settings', { settings }),
};

/** How views travel between windows (Tauri's events; a stand-in in tests). */
export interface Transport {
  send: (view: DisplayView) => Promise<void>;
  onReady: (handler: () => void) => Promise<unknown>;
}

const tauriEvents: Transport = {
  send: (view) => emitTo(DISPLAY_WINDOW, VIEW_EVENT, view),
  onReady: (handler) => listen(READY_EVENT, handler),
};

export class DisplayFeed {
  enabled = $state(false);
  private last: DisplayView = IDLE;
  private listening = false;

  constructor(
    private readonly transport: Transport = tauriEvents,
    private readonly read: () => Promise<DisplaySettings> = displayApi.settings,
  ) {}

  /** Reads the setting (at the counter's start and after Réglages); on, the display gets the
   *  current view. */
  async load(): Promise<void> {
    try {
      this.enabled = (await this.read()).enabled;
    } catch {
      this.enabled = false;
    }
    if (!this.enabled) return;
    if (!this.listening) {
      this.listening = true;
      try {
        await this.transport.onReady(() => this.send(this.last));
      } catch {
        this.listening = false;
      }
    }
    this.send(this.last);
  }

  /** What the counter shows now; sent when the display is on and the view changed. */
  show(view: DisplayView): void {
    if (JSON.stringify(view) === JSON.stringify(this.last)) return;
    this.last = view;
    if (this.enabled) this.send(view);
  }

  private send(view: DisplayView): void {
    this.transport.send(view).catch(() => {
      // The display's window is closed or not there yet: it asks again when it opens.
    });
  }
}

export const customerDisplay = new DisplayFeed();
