// The VCL `npm run edge` loads: deploy/varnish/site.vcl with its lines marked "npm run edge" set
// from the environment. Each marked line must be found, so that an edit of the shipped file that
// loses one fails here, loudly, instead of starting Varnish with the placeholder.

export type EdgeVclSettings = {
  originHost: string;
  originPort: number;
  /** Addresses allowed to purge: the origin's, and any given in EDGE_PURGE_FROM. */
  purgers: readonly string[];
  purgeSecret: string;
  graceSeconds: number;
  errorPagePath: string;
};

/** A string as a VCL "long string" literal, which may hold any character but the closing `"}`. */
function vclString(value: string): string {
  if (value.includes('"}') || /[\r\n]/.test(value)) throw new Error('cannot hold a line break or "} in VCL');
  return `{"${value}"}`;
}

const HOST = /^[A-Za-z0-9.:-]+$/;

/** An address or subnet as a VCL ACL entry: "10.0.0.0"/8. */
function aclEntry(address: string): string {
  const [host, bits] = address.split('/');
  if (!host || !HOST.test(host) || (bits !== undefined && !/^\d{1,3}$/.test(bits))) throw new Error(`not an address or subnet: ${address}`);
  return bits === undefined ? `"${host}"` : `"${host}"/${bits}`;
}

function replaceMarked(vcl: string, marker: string, replace: (line: string) => string): string {
  const lines = vcl.split('\n');
  const index = lines.findIndex((line) => line.includes(`# npm run edge: ${marker}`));
  if (index < 0) throw new Error(`site.vcl has no line marked "npm run edge: ${marker}"`);
  lines[index] = replace(lines[index]!);
  return lines.join('\n');
}

export function renderEdgeVcl(template: string, settings: EdgeVclSettings): string {
  let vcl = template;
  vcl = replaceMarked(vcl, "EDGE_ORIGIN's host", (line) => {
    if (!HOST.test(settings.originHost)) throw new Error(`not a host name or address: ${settings.originHost}`);
    return line.replace(/"[^"]*"/, `"${settings.originHost}"`);
  });
  vcl = replaceMarked(vcl, "EDGE_ORIGIN's port", (line) => line.replace(/"[^"]*"/, `"${settings.originPort}"`));
  vcl = replaceMarked(vcl, "EDGE_ORIGIN's host and EDGE_PURGE_FROM", (line) => {
    const indent = /^\s*/.exec(line)![0];
    return settings.purgers.map((address) => `${indent}${aclEntry(address)};`).join('\n');
  });
  vcl = replaceMarked(vcl, 'CACHE_PURGE_SECRET', (line) => line.replace(/"[^"]*"\)/, `${vclString(settings.purgeSecret)})`));
  vcl = replaceMarked(vcl, 'EDGE_GRACE_SECONDS', (line) => line.replace(/\d+s;/, `${settings.graceSeconds}s;`));
  vcl = replaceMarked(vcl, 'the page it fetched', (line) => line.replace(/"[^"]*"/, vclString(settings.errorPagePath)));
  return vcl;
}
