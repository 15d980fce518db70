// Whether the figure can be seen: its tab is not hidden and, when `target` is given (embedded),
// some of it is inside the viewport. `changed(visible)` runs when that flips.

export class Visibility {
  constructor(target, changed) {
    this.inView = true;
    this.tabShown = document.visibilityState !== 'hidden';
    this.changed = changed;
    this.last = this.visible;
    document.addEventListener('visibilitychange', () => {
      this.tabShown = document.visibilityState !== 'hidden';
      this.update();
    });
    if (target && 'IntersectionObserver' in window) {
      // Unknown until the observer's first report: an embedded figure below the fold must not
      // start before it is seen.
      this.inView = false;
      this.last = false;
      new IntersectionObserver((entries) => {
        this.inView = entries.at(-1).isIntersecting;
        this.update();
      }).observe(target);
    }
  }

  get visible() {
    return this.inView && this.tabShown;
  }

  update() {
    const visible = this.visible;
    if (visible === this.last) return;
    this.last = visible;
    this.changed(visible);
  }
}

/** The user asked the system for less motion: nothing starts or moves on its own. */
export const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;
