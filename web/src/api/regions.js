// regions.js — the region tree (行政区划), flat with parent ids.
import { resource } from './resource.js';

const { list } = resource('/regions');

export const regionsApi = { list };
