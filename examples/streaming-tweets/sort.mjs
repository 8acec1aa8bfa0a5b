// Routes each tweet: the interesting (even) ones to A on flow "analyze", the others on along the flow
// they came on ("master", so to B). Returns once it routed `count` tweets; its queue is flushed to A and
// B first, then the job completes with this result.
export async function start({ input: [count] }, api) {
  const routed = { analyze: 0, master: 0 };
  for await (const { message: tweet } of api.messages()) {
    if (tweet.id % 2 === 0) {
      api.sendMessage(tweet, 'analyze');
      routed.analyze += 1;
    } else {
      api.sendMessage(tweet);
      routed.master += 1;
    }
    if (routed.analyze + routed.master === count) break;
  }
  return routed;
}
