// node-fetch 2, grammY's HTTP client on Node, ships no types. The bot uses it only as a fetch function: the
// standard signature, which is also what grammY's `client.fetch` then expects.
declare module "node-fetch" {
  const fetch: typeof globalThis.fetch;
  export default fetch;
}
