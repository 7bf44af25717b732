// RTAS tokens: which number each function the emulator implements has in the emulator's own tree,
// and which names a /rtas node (of a blob the machine boots from) may carry as tokens.

/**
 * Tokens of the emulator's own tree: QEMU's numbering (spec/spapr-platform.md §1.3) for what QEMU
 * has, the hvpipe calls at 0x202E/0x202F (spec/hvpipe-driver.md §9). A device names its RTAS
 * functions; the token comes from here. Booting from a blob keeps the blob's tokens instead
 * (machine-dt-merge.ts).
 */
export const RTAS_TOKENS = {
  "ibm,get-system-parameter": 0x2008,
  "ibm,set-system-parameter": 0x2009,
  "ibm,set-xive": 0x200a,
  "ibm,get-xive": 0x200b,
  "ibm,int-off": 0x200c,
  "ibm,int-on": 0x200d,
  "check-exception": 0x200e,
  "event-scan": 0x200f,
  "ibm,receive-hvpipe-msg": 0x202e,
  "ibm,send-hvpipe-msg": 0x202f,
} as const satisfies Record<string, number>;

/** QEMU numbers its functions 0x2000..0x202d and hvpipe takes 0x202E/0x202F: a function without a row comes after. */
const FIRST_UNNUMBERED_TOKEN = 0x2030;

/**
 * The token of each function in the emulator's own tree: its row in RTAS_TOKENS, or (a function
 * added without a row) the next number from FIRST_UNNUMBERED_TOKEN in the order given, so that no
 * new function takes a number QEMU gives to another one.
 */
export function ownTreeTokens(names: readonly string[]): Map<string, number> {
  const rows: Readonly<Record<string, number>> = RTAS_TOKENS;
  let next = FIRST_UNNUMBERED_TOKEN;
  return new Map(names.map((name) => [name, Object.hasOwn(rows, name) ? rows[name]! : next++]));
}

/**
 * RTAS function names a /rtas node may carry as tokens: QEMU's table (spec/spapr-platform.md §1.3),
 * the names Linux's RTAS function table looks up, and the hvpipe calls (spec/hvpipe-driver.md §9).
 * A 4-byte /rtas property with one of these names is a token; any other property is left alone.
 */
export const RTAS_TOKEN_NAMES: ReadonlySet<string> = new Set([
  // QEMU pseries (§1.3), 0x2000..0x202d.
  "display-character",
  "get-time-of-day",
  "set-time-of-day",
  "power-off",
  "system-reboot",
  "query-cpu-stopped-state",
  "start-cpu",
  "stop-self",
  "ibm,get-system-parameter",
  "ibm,set-system-parameter",
  "ibm,set-xive",
  "ibm,get-xive",
  "ibm,int-off",
  "ibm,int-on",
  "check-exception",
  "event-scan",
  "ibm,set-tce-bypass",
  "quiesce",
  "nvram-fetch",
  "nvram-store",
  "read-pci-config",
  "write-pci-config",
  "ibm,read-pci-config",
  "ibm,write-pci-config",
  "ibm,query-interrupt-source-number",
  "ibm,change-msi",
  "set-indicator",
  "set-power-level",
  "get-power-level",
  "get-sensor-state",
  "ibm,configure-connector",
  "ibm,os-term",
  "ibm,set-eeh-option",
  "ibm,get-config-addr-info2",
  "ibm,read-slot-reset-state2",
  "ibm,set-slot-reset",
  "ibm,configure-pe",
  "ibm,slot-error-detail",
  "ibm,query-pe-dma-window",
  "ibm,create-pe-dma-window",
  "ibm,remove-pe-dma-window",
  "ibm,reset-pe-dma-window",
  "ibm,suspend-me",
  "ibm,nmi-register",
  "ibm,nmi-interlock",
  "ibm,configure-kernel-dump",
  "ibm,errinjct",
  // Further names PowerVM firmware provides and Linux looks up.
  "rtas-last-error",
  "freeze-time-base",
  "thaw-time-base",
  "get-term-char",
  "put-term-char",
  "set-time-for-power-on",
  "ibm,activate-firmware",
  "ibm,close-errinjct",
  "ibm,open-errinjct",
  "ibm,configure-bridge",
  "ibm,display-message",
  "ibm,exti2c",
  "ibm,get-config-addr-info",
  "ibm,get-dynamic-sensor-state",
  "ibm,get-indices",
  "ibm,get-rio-topology",
  "ibm,get-vpd",
  "ibm,io-quiesce-ack",
  "ibm,lpar-perftools",
  "ibm,manage-flash-image",
  "ibm,manage-storage-preservation",
  "ibm,open-sriov-allow-unfreeze",
  "ibm,open-sriov-map-pe-number",
  "ibm,partner-control",
  "ibm,physical-attestation",
  "ibm,platform-dump",
  "ibm,power-off-ups",
  "ibm,read-slot-reset-state",
  "ibm,scan-log-dump",
  "ibm,set-dynamic-indicator",
  "ibm,tune-dma-parms",
  "ibm,update-flash-64-and-reboot",
  "ibm,update-nodes",
  "ibm,update-properties",
  "ibm,validate-flash-image",
  // hvpipe.
  "ibm,send-hvpipe-msg",
  "ibm,receive-hvpipe-msg",
]);
