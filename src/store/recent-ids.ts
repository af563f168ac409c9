/** The last `capacity` ids seen, to recognise a repeat without remembering everything forever. */
export class RecentIds {
  private readonly seen = new Set<number>();
  private readonly window: (number | undefined)[];
  private next = 0;

  constructor(private readonly capacity = 10_000) {
    this.window = new Array<number | undefined>(capacity);
  }

  /** True the first time an id is offered (within the window), false for a repeat. */
  firstSight(id: number): boolean {
    if (this.seen.has(id)) return false;
    const forgotten = this.window[this.next];
    if (forgotten !== undefined) this.seen.delete(forgotten);
    this.window[this.next] = id;
    this.next = (this.next + 1) % this.capacity;
    this.seen.add(id);
    return true;
  }
}
