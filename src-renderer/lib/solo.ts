/** The layer visibility Solo works on: which layers show, the one soloed, and what showed before it. */
export interface SoloState {
  visible: readonly boolean[];
  soloed: number | null;
  before: readonly boolean[] | null;
}

/**
 * Solo as a toggle: pressing a layer's Solo shows it alone (remembering what showed); pressing it again
 * brings that back; pressing another layer's Solo moves the solo and keeps the remembered set.
 */
export function soloToggle(state: SoloState, index: number): { visible: boolean[]; soloed: number | null; before: boolean[] | null } {
  if (state.soloed === index) {
    const back = state.before ? [...state.before] : state.visible.map((_, i) => i > 0);
    return { visible: back, soloed: null, before: null };
  }
  const before = state.soloed === null ? [...state.visible] : state.before ? [...state.before] : [...state.visible];
  return { visible: state.visible.map((_, i) => i === index), soloed: index, before };
}
