// The HTTP client for Level calls made under a host policy: undici's fetch through an agent whose
// DNS lookup refuses addresses the policy does not allow, checked when each connection is made,
// so a name that resolved to a public address when it was saved cannot later lead to 127.0.0.1.
import { Agent, fetch as undiciFetch } from 'undici';
import type { LevelHostPolicy } from './host-policy';
import type { FetchImpl } from './transport';

const agents = new WeakMap<LevelHostPolicy, Agent>();

export function guardedFetch(policy: LevelHostPolicy): FetchImpl {
  let agent = agents.get(policy);
  if (!agent) {
    agent = new Agent({ connect: { lookup: policy.guardedLookup() as never } });
    agents.set(policy, agent);
  }
  const dispatcher = agent;
  // undici's Response is the WHATWG Response the transport reads.
  return async (input, init) => await undiciFetch(input, { ...init, dispatcher } as never);
}
