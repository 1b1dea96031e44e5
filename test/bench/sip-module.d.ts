/** Minimal types for the npm `sip` package (CommonJS, untyped), used only as the benchmark baseline. */
declare module 'sip' {
  interface SipJsMessage {
    method?: string;
    status?: number;
    headers: Record<string, unknown>;
    content?: string;
  }
  interface SipJs {
    parse(data: Buffer | string): SipJsMessage | undefined;
    stringify(message: SipJsMessage): string;
  }
  const sip: SipJs;
  export default sip;
}
