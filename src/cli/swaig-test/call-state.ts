/**
 * What the platform remembers between function calls of one call: global_data, meta_data per scope, and whether
 * a function asked to hang up. Updated from each reply's `action` list the way the platform applies them.
 */
export class CallState {
  globalData: Record<string, unknown>;
  private readonly metaData = new Map<string, Record<string, unknown>>();
  /** Set when a reply carried `{hangup: true}`. */
  hungUpBy: string | undefined;

  constructor(globalData: Record<string, unknown> = {}) {
    this.globalData = { ...globalData };
  }

  /** meta_data of a scope (the function's `meta_data_token`, else its webhook URL), seeded from the SWML. */
  metaDataFor(scope: string, initial: Record<string, unknown> | undefined): Record<string, unknown> {
    let data = this.metaData.get(scope);
    if (!data) {
      data = { ...(initial ?? {}) };
      this.metaData.set(scope, data);
    }
    return data;
  }

  /** Applies one reply's actions: set/unset global_data (merge / delete keys), set/unset meta_data, hangup. */
  apply(functionName: string, scope: string, actions: unknown): void {
    if (!Array.isArray(actions)) return;
    for (const action of actions) {
      if (typeof action !== 'object' || action === null) continue;
      const a = action as Record<string, unknown>;
      if (isRecord(a.set_global_data)) this.globalData = { ...this.globalData, ...a.set_global_data };
      if ('unset_global_data' in a) this.globalData = without(this.globalData, a.unset_global_data);
      if (isRecord(a.set_meta_data)) this.metaData.set(scope, { ...this.metaDataFor(scope, undefined), ...a.set_meta_data });
      if ('unset_meta_data' in a) this.metaData.set(scope, without(this.metaDataFor(scope, undefined), a.unset_meta_data));
      if (a.hangup === true && this.hungUpBy === undefined) this.hungUpBy = functionName;
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function without(data: Record<string, unknown>, keys: unknown): Record<string, unknown> {
  const list = Array.isArray(keys) ? keys : [keys];
  const copy = { ...data };
  for (const key of list) if (typeof key === 'string') delete copy[key];
  return copy;
}
