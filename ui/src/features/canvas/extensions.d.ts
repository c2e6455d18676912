// Cytoscape extensions without bundled types: each registers itself on the library.

declare module "cytoscape-svg" {
  const register: (cy: typeof import("cytoscape")) => void;
  export default register;
}

declare module "cytoscape-navigator" {
  const register: (cy: typeof import("cytoscape")) => void;
  export default register;
}
