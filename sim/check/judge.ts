import type { LimitView } from '../../src/domain/limits.ts';
import type {
  CompleteResponse,
  PutLimitResponse,
  ReserveResponse,
} from '../../src/domain/requests.ts';
import type { PreparedRequest } from '../engine/prepare.ts';
import { judgeComplete } from './judge-complete.ts';
import { judgeReserve } from './judge-reserve.ts';
import type { ReferenceModel } from './reference-model.ts';

/** Hands one target's answer to its model, item by item for a batch, at the target's instant. */
export function judgeAnswer(
  model: ReferenceModel,
  prepared: PreparedRequest,
  batch: boolean,
  answer: unknown,
  nowMs: number,
): void {
  switch (prepared.op) {
    case 'put_limit':
      model.put(prepared.definition, answer as PutLimitResponse);
      return;
    case 'get_limit':
      model.checkView(prepared.key, answer as LimitView | undefined, nowMs);
      return;
    case 'reserve': {
      const answers = batch ? (answer as ReserveResponse[]) : [answer as ReserveResponse];
      prepared.items.forEach((item, k) => {
        if (item.valid) judgeReserve(model, item.request, answers[k]!, nowMs);
      });
      return;
    }
    case 'complete': {
      const answers = batch ? (answer as CompleteResponse[]) : [answer as CompleteResponse];
      prepared.items.forEach((item, k) => {
        if (item.valid) judgeComplete(model, item.request, answers[k]!, nowMs);
      });
      return;
    }
    case 'list_limits':
    case 'invalid':
      return;
  }
}
