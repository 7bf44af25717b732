// The devices of a partition, in the order the Machine creates them: one row each. A device
// providing a service (DeviceServices) comes before those using it. Each row's RTAS functions,
// hypercalls, tree fragment, policies, outside-world actions and inspection are declared in its
// folder's device.ts; the interrupt controller comes from ../interrupts/controllers.ts.
import { eventSourcesDevice } from "./events/device.js";
import { hvpipeDevice } from "./hvpipe/device.js";
import { systemParametersDevice } from "./sysparm/device.js";

export const DEVICES = [systemParametersDevice, eventSourcesDevice, hvpipeDevice] as const;

export type MachineDevice = (typeof DEVICES)[number];
