/**
 * A `RequestSender` that passes requests through and counts them, so a
 * benchmark can check what it timed: a full registration exchange is two
 * REGISTERs (401, then 200), a pre-authorised refresh is one (200).
 */
import type { SipRequest } from '../../firmware/sip/message/types.ts';
import type { RequestOutcome, RequestSender, SendOptions } from '../../firmware/sip/ua/request-sender.ts';

export class CountingSender implements RequestSender {
  private statuses: (number | string)[] = [];

  constructor(private readonly inner: RequestSender) {}

  async send(request: SipRequest, options: SendOptions): Promise<RequestOutcome> {
    const outcome = await this.inner.send(request, options);
    this.statuses.push(outcome.kind === 'response' ? outcome.response.status : outcome.cause);
    return outcome;
  }

  /** Final statuses (or failure causes) of the requests sent since the last call, e.g. `[401, 200]`. */
  take(): (number | string)[] {
    const taken = this.statuses;
    this.statuses = [];
    return taken;
  }
}
