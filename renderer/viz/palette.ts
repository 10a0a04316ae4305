/**
 * Colours: topics take Tableau 10 (designed to stay distinguishable with the common colour
 * vision deficiencies) in creation order, so a topic keeps its colour across restarts; the
 * states (out of sync, offline, stopped) use colours no topic uses and also differ in shape
 * (dashes, crosses), never in colour alone.
 */
import { schemeTableau10 } from 'd3';

/** The colours of the map's states and surfaces, per theme. */
export interface Theme {
  dark: boolean;
  background: string;
  lane: string;
  laneStopped: string;
  text: string;
  mutedText: string;
  outOfSync: string;
  offline: string;
  stopped: string;
  link: string;
}

/** Dark theme colours. */
export const DARK: Theme = {
  dark: true,
  background: '#11151c',
  lane: '#171c25',
  laneStopped: '#1a1c20',
  text: '#e6e9ef',
  mutedText: '#8a93a6',
  outOfSync: '#ffb000',
  offline: '#ff4d4d',
  stopped: '#4a4f59',
  link: '#e6e9ef',
};

/** Light theme colours. */
export const LIGHT: Theme = {
  dark: false,
  background: '#f5f6f8',
  lane: '#ffffff',
  laneStopped: '#eceef1',
  text: '#1b1f27',
  mutedText: '#5d6675',
  outOfSync: '#c77c00',
  offline: '#d62828',
  stopped: '#b9bec7',
  link: '#1b1f27',
};

/** Internal topics (`__consumer_offsets`) in a neutral colour. */
const INTERNAL = '#8c8c8c';

/** A topic's colour from its creation sequence. */
export function topicColor(sequence: number, internal = false): string {
  if (internal) return INTERNAL;
  return schemeTableau10[((sequence % 10) + 10) % 10];
}

/** The theme the system asks for. */
export function systemTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: light)').matches ? LIGHT : DARK;
}
