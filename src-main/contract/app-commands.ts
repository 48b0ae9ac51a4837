/**
 * The application's commands as data, declared once: the Electron menu is built from this list, and the
 * renderer's command registry takes each command's label and keys from it. Pure data, so both the main
 * process and the page can import it.
 *
 * Accelerators use Electron's syntax ("CmdOrCtrl+Shift+S"). A menu item can show and own only one key, so
 * the first accelerator is the menu's; any others are extra keys the renderer catches itself.
 */

export const MENU_SECTIONS = ['file', 'edit', 'training'] as const;
export type MenuSection = (typeof MENU_SECTIONS)[number];

export interface AppCommandDeclaration {
  readonly id: string;
  /** As the menu shows it; an ellipsis means the command asks something before it acts. */
  readonly label: string;
  readonly accelerators: readonly string[];
  readonly section: MenuSection;
  /** Items of one section with different groups are set apart by a separator. */
  readonly group: number;
  /**
   * Text fields have their own version of this command (their undo and redo): while one has the focus,
   * the command is the field's, not the application's.
   */
  readonly textFieldsOwnIt?: boolean;
}

export const APP_COMMANDS = [
  { id: 'new', label: 'New', accelerators: ['CmdOrCtrl+N'], section: 'file', group: 0 },
  { id: 'open', label: 'Open…', accelerators: ['CmdOrCtrl+O'], section: 'file', group: 0 },
  { id: 'save', label: 'Save', accelerators: ['CmdOrCtrl+S'], section: 'file', group: 1 },
  { id: 'saveAs', label: 'Save As…', accelerators: ['CmdOrCtrl+Shift+S'], section: 'file', group: 1 },
  { id: 'importCsv', label: 'Import CSV…', accelerators: ['CmdOrCtrl+I'], section: 'file', group: 2 },
  { id: 'exportOnnx', label: 'Export ONNX…', accelerators: ['CmdOrCtrl+E'], section: 'file', group: 2 },
  { id: 'openOnnx', label: 'Open ONNX Model…', accelerators: [], section: 'file', group: 2 },
  { id: 'undo', label: 'Undo', accelerators: ['CmdOrCtrl+Z'], section: 'edit', group: 0, textFieldsOwnIt: true },
  {
    id: 'redo',
    label: 'Redo',
    accelerators: ['CmdOrCtrl+Shift+Z', 'CmdOrCtrl+Y'],
    section: 'edit',
    group: 0,
    textFieldsOwnIt: true,
  },
  { id: 'startTraining', label: 'Start Training', accelerators: ['CmdOrCtrl+Enter'], section: 'training', group: 0 },
  {
    id: 'stopTraining',
    label: 'Stop Training',
    accelerators: ['CmdOrCtrl+Shift+Enter'],
    section: 'training',
    group: 0,
  },
] as const satisfies readonly AppCommandDeclaration[];

export type AppCommandId = (typeof APP_COMMANDS)[number]['id'];

export const APP_COMMAND_IDS: readonly AppCommandId[] = APP_COMMANDS.map((command) => command.id);

export function appCommand(id: AppCommandId): AppCommandDeclaration {
  const found = APP_COMMANDS.find((command) => command.id === id);
  if (!found) throw new Error(`No application command '${id}'`);
  return found;
}
