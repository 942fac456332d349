/**
 * The alternate screen, as fzf and less use: the picker gets a clean screen, and leaving it
 * gives the person back their scrollback as it was. The cursor goes home first, since the
 * switch keeps its position.
 */
export const ENTER_SCREEN = '\u001b[?1049h\u001b[H';
export const LEAVE_SCREEN = '\u001b[?1049l';
/** Back to the top left, where Ink starts its first frame over the one drawn before it loaded. */
export const CURSOR_HOME = '\u001b[H';
/** The same, on a cleared screen: for when the first frame no longer fits. */
export const CLEAR_SCREEN = '\u001b[H\u001b[2J';
/** Clear the rest of the line, and everything below the cursor: for redrawing a frame in place. */
export const CLEAR_LINE_END = '\u001b[K';
export const CLEAR_BELOW = '\u001b[J';
