/** headless-gl (npm `gl`), optional: a WebGL 1 context factory for Node; null when no display. */
declare module "gl" {
  interface HeadlessContext {
    readonly RENDERER: number;
    getParameter(name: number): unknown;
    getExtension(name: string): unknown;
  }
  export default function createContext(
    width: number,
    height: number,
    options?: object,
  ): HeadlessContext | null;
}
