// Reading a GraphQL subscription as a client does: POST /graphql with `Accept: text/event-stream`
// (GraphQL over SSE, "distinct connections", as graphql-yoga serves it), events read as they arrive.
// Written out here rather than with a client library: a test needs the raw events (and to drop the
// connection at a chosen moment, as a client losing its network would).

export interface SseStream {
  status: number;
  /** The next `next` event's payload (`{ data, errors }`), or null when the stream completed. */
  next(timeoutMs?: number): Promise<{ data?: any; errors?: any[] } | null>;
  /** Drops the connection (as a client going away), and gives the server a moment to see it. */
  close(): Promise<void>;
}

export async function subscribe(
  fetchFn: (request: Request) => Promise<Response> | Response,
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token: string | null,
): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetchFn(
    new Request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    }),
  );
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: { event: string; data: string }[] = [];
  const parse = () => {
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trim());
      }
      if (data.length > 0 || event !== 'message') events.push({ event, data: data.join('\n') });
    }
  };
  return {
    status: response.status,
    async next(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const event = events.shift();
        if (event) {
          if (event.event === 'complete') return null;
          if (event.event === 'next' || event.event === 'message') return JSON.parse(event.data);
          continue;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
        let timer: NodeJS.Timeout | undefined;
        const read = await Promise.race([
          reader.read(),
          new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), left);
          }),
        ]);
        clearTimeout(timer);
        if (read === 'timeout') throw new Error(`no event within ${timeoutMs} ms`);
        if (read.done) return null;
        buffer += decoder.decode(read.value, { stream: true });
        parse();
      }
    },
    async close() {
      controller.abort();
      await reader.cancel().catch(() => {});
      // The server's tail may be between two reads of the table: let it see the end before a test's
      // database goes away.
      await new Promise((resolve) => setTimeout(resolve, 100));
    },
  };
}
