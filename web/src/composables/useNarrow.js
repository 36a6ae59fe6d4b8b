// useNarrow — whether the window is phone-narrow (< 768 px), following resizes. One
// listener for the whole app, however many components ask.
import { computed, ref } from 'vue';

const width = ref(window.innerWidth);
window.addEventListener('resize', () => { width.value = window.innerWidth; });
const narrow = computed(() => width.value < 768);

export function useNarrow() {
  return narrow;
}
