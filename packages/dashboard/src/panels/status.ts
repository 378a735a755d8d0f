import { CoverageMethod, type CoverageResult, LacunaError } from "@lacuna/client";
import { formatNumber, h } from "../dom.js";

/** One line of work in progress: what it is, its phase and how far along. */
export class Progress {
  readonly element: HTMLElement;
  private readonly bar: HTMLProgressElement;
  private readonly text: HTMLElement;

  constructor(
    readonly name: string,
    id: string,
  ) {
    this.bar = h("progress", { max: 1, value: 0, "aria-label": `${name} progress` });
    this.text = h("span", { class: "phase" });
    this.element = h(
      "div",
      { class: "progress-line", id, hidden: true },
      h("b", {}, name),
      this.bar,
      this.text,
    );
  }

  /** `fraction` null: done (the line hides); otherwise the phase and how far it got. */
  set(phase: string, fraction: number | null): void {
    this.element.hidden = fraction === null;
    this.element.dataset.phase = phase;
    if (fraction === null) return;
    this.bar.value = fraction;
    this.text.textContent = `${phase} ${(fraction * 100).toFixed(0)} %`;
  }
}

/**
 * Where the run stands: coverage and projection progress, each until it is really done; Cancel;
 * the summary of the result on screen; errors with their code. Results that no longer match the
 * settings are said to be stale here (and dimmed by the page) until a run replaces them.
 */
export class StatusPanel {
  readonly element: HTMLElement;
  readonly coverage = new Progress("coverage", "coverage-progress");
  readonly projection = new Progress("projection", "projection-progress");
  private readonly cancel: HTMLButtonElement;
  private readonly summary: HTMLElement;
  private readonly error: HTMLElement;
  private readonly state: HTMLElement;

  constructor(onCancel: () => void) {
    this.cancel = h("button", { type: "button", id: "cancel", hidden: true }, "Cancel");
    this.cancel.addEventListener("click", onCancel);
    this.state = h("span", { id: "phase" });
    this.summary = h("p", { id: "summary" });
    this.error = h("div", { id: "error", role: "alert", hidden: true });
    this.element = h(
      "section",
      { id: "status-panel", "aria-label": "run status" },
      h(
        "div",
        { id: "status", role: "status", "aria-live": "polite" },
        this.state,
        this.coverage.element,
        this.projection.element,
      ),
      this.cancel,
      this.error,
      this.summary,
    );
  }

  /** The run's overall state: "running", "done", "cancelled", "failed". */
  setState(state: string, text: string): void {
    this.element.dataset.state = state;
    this.state.textContent = text;
    this.cancel.hidden = state !== "running";
  }

  showError(error: unknown | null, context = ""): void {
    if (error === null) {
      this.error.hidden = true;
      this.error.textContent = "";
      return;
    }
    this.error.hidden = false;
    const code = error instanceof LacunaError ? `${error.code}: ` : "";
    this.error.textContent = `${context}${code}${error instanceof Error ? error.message : String(error)}`;
  }

  showSummary(result: CoverageResult | null, stale: string): void {
    if (!result) {
      this.summary.textContent = "";
      return;
    }
    this.summary.replaceChildren(
      `coverage radius ${formatNumber(result.coverageRadius, 6)} · ${result.uncoveredCount} of ${result.count} uncovered · `,
      `k ${result.numObservations} · ${result.method.toLowerCase()}`,
      result.method === CoverageMethod.Adaptive
        ? ` ${formatNumber(result.percent)} (${formatNumber(result.percent * 100)} %)`
        : "",
      ` · ${result.dimensions}-d embeddings · computed in ${result.seconds.toFixed(2)} s (${result.backend})`,
      stale ? h("span", { class: "stale-note" }, ` · ${stale}`) : "",
    );
  }
}
