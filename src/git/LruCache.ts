/**
 * A least-recently-used cache bounded by total weight (bytes, usually): a
 * Map for lookups and a doubly linked list for recency, so every operation
 * is O(1). (Evicting by iterating a Map from its start degrades badly: V8
 * keeps deleted entries as holes that each iteration walks over again.)
 */
interface Node<K, V> {
  key: K;
  value: V;
  weight: number;
  newer: Node<K, V> | undefined;
  older: Node<K, V> | undefined;
}

export class LruCache<K, V> {
  readonly #nodes = new Map<K, Node<K, V>>();
  readonly #maxWeight: number;
  readonly #weigh: (value: V) => number;
  #newest: Node<K, V> | undefined;
  #oldest: Node<K, V> | undefined;
  #weight = 0;

  constructor(maxWeight: number, weigh: (value: V) => number) {
    this.#maxWeight = maxWeight;
    this.#weigh = weigh;
  }

  get(key: K): V | undefined {
    const node = this.#nodes.get(key);
    if (node === undefined) return undefined;
    if (node !== this.#newest) {
      this.#unlink(node);
      this.#pushNewest(node);
    }
    return node.value;
  }

  has(key: K): boolean {
    return this.#nodes.has(key);
  }

  /** Adds or replaces an entry; values heavier than the whole budget are not kept. */
  set(key: K, value: V): void {
    const weight = this.#weigh(value);
    this.delete(key);
    if (weight > this.#maxWeight) return;
    const node: Node<K, V> = { key, value, weight, newer: undefined, older: undefined };
    this.#nodes.set(key, node);
    this.#pushNewest(node);
    this.#weight += weight;
    while (this.#weight > this.#maxWeight && this.#oldest !== undefined) this.delete(this.#oldest.key);
  }

  delete(key: K): void {
    const node = this.#nodes.get(key);
    if (node === undefined) return;
    this.#nodes.delete(key);
    this.#unlink(node);
    this.#weight -= node.weight;
  }

  get size(): number {
    return this.#nodes.size;
  }

  get weight(): number {
    return this.#weight;
  }

  #pushNewest(node: Node<K, V>): void {
    node.older = this.#newest;
    node.newer = undefined;
    if (this.#newest !== undefined) this.#newest.newer = node;
    this.#newest = node;
    this.#oldest ??= node;
  }

  #unlink(node: Node<K, V>): void {
    if (node.newer !== undefined) node.newer.older = node.older;
    else this.#newest = node.older;
    if (node.older !== undefined) node.older.newer = node.newer;
    else this.#oldest = node.newer;
    node.newer = undefined;
    node.older = undefined;
  }
}
