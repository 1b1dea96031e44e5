/**
 * Deterministic pseudo-random numbers for tests (mulberry32 + Box–Muller):
 * same seed, same sequence, so failures reproduce and every run sees the
 * same noise, "network" and fuzz input.
 */
export class SeededRandom {
  private state: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Two independent standard normals from two fresh uniforms (Box–Muller: cosine, then sine). */
  normalPair(): readonly [number, number] {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    return [radius * Math.cos(2 * Math.PI * v), radius * Math.sin(2 * Math.PI * v)];
  }

  /** Standard normal: both halves of each Box–Muller pair, one per call. */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    const [first, second] = this.normalPair();
    this.spareNormal = second;
    return first;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(Math.max(1 - this.next(), 1e-12));
  }
}
