// Response fields in selection order (GraphQL spec, "Executing Selection Sets"): graphql-js' own
// `execute` builds each result object in the order its fields were selected. The executor yoga
// bundles (@graphql-tools/executor, pinned in package.json `overrides` because its newer releases need
// Node 22) adds each key when its value resolves, so `{ viewer { homeAccount { name } email id } }`
// came back reordered. The schema uses no @defer/@stream, which are what that executor adds.
import { execute } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function useSpecExecutor(): Plugin {
  return {
    onExecute({ setExecuteFn }) {
      setExecuteFn(execute);
    },
  };
}
