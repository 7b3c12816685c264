// The paper-slip commands of the backend, typed. Single slips go through `record_sale` with
// its `late` member (lib/api.ts recordSale).
import { call } from '../../lib/api';
import type { PaperReport } from '../../lib/bindings/PaperReport';

export type { PaperReport };

export const paperApi = {
  /** `dryRun` previews (nothing recorded); `strict` records nothing if any slip is bad. */
  importPaper: (path: string, dryRun: boolean, strict: boolean) => call<PaperReport>('import_paper', { path, dryRun, strict }),
};
