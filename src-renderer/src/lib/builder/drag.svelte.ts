/**
 * What is being dragged inside the builder. Browsers hide dataTransfer contents until the drop, but the
 * stack needs to know during dragover whether a palette item or a card is coming (to draw the insertion
 * line), so the builder keeps the payload here as well as in dataTransfer.
 */
export type DragPayload = { kind: 'new'; className: string } | { kind: 'card'; index: number };

export const NEW_LAYER_MIME = 'application/x-layerlab-layer';
export const CARD_MIME = 'application/x-layerlab-card';

export class DragSession {
  current = $state.raw<DragPayload | null>(null);

  start(event: DragEvent, payload: DragPayload): void {
    this.current = payload;
    const transfer = event.dataTransfer;
    if (!transfer) return;
    if (payload.kind === 'new') {
      transfer.setData(NEW_LAYER_MIME, payload.className);
      transfer.setData('text/plain', payload.className);
      transfer.effectAllowed = 'copy';
    } else {
      transfer.setData(CARD_MIME, String(payload.index));
      transfer.effectAllowed = 'move';
    }
  }

  end(): void {
    this.current = null;
  }

  /** The payload of a drop: ours when the drag started here, else whatever dataTransfer carries. */
  read(event: DragEvent): DragPayload | null {
    if (this.current) return this.current;
    const transfer = event.dataTransfer;
    if (!transfer) return null;
    const card = transfer.getData(CARD_MIME);
    if (card !== '' && Number.isInteger(Number(card))) return { kind: 'card', index: Number(card) };
    const className = transfer.getData(NEW_LAYER_MIME);
    return className ? { kind: 'new', className } : null;
  }

  /** During dragover: is a builder item coming at all (types are visible even when data is not)? */
  accepts(event: DragEvent): boolean {
    if (this.current) return true;
    const types = event.dataTransfer?.types ?? [];
    return types.includes(NEW_LAYER_MIME) || types.includes(CARD_MIME);
  }
}
