// DTS sources shared by the devicetree tests, and the same pseries-like tree built through the API.

import { DeviceTree } from "../../devicetree/index.js";

export const SMALL = `/dts-v1/;
/ {
	model = "papr-emu test";
	#address-cells = <1>;
};
`;

export const EMPTY_ROOT = `/dts-v1/;
/ {
};
`;

export const MEMRESERVE = `/dts-v1/;
/memreserve/ 0x1000 0x2000;
/memreserve/ 0xffffffff00000000 0x100000000;
/ {
	compatible = "test,memreserve";
};
`;

/** 40 levels of nesting: /l0/l1/.../l39, each with a depth cell. */
export function deepNesting(levels = 40): string {
  let open = "";
  let close = "";
  for (let i = 0; i < levels; i++) {
    const tabs = "\t".repeat(i + 1);
    open += `${tabs}l${i} {\n${tabs}\tdepth = <${i}>;\n`;
    close = `${tabs}};\n` + close;
  }
  return `/dts-v1/;\n/ {\n${open}${close}};\n`;
}

export const UNIT_ADDRESSES = `/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	cpus {
		#address-cells = <1>;
		#size-cells = <0>;
		cpu@0 { reg = <0>; };
		cpu@1 { reg = <1>; };
	};
	memory@0 { device_type = "memory"; reg = <0 0 0 0x10000000>; };
	memory@100000000 { device_type = "memory"; reg = <1 0 0 0x10000000>; };
};
`;

/** 1000 bytes 0x00, 0x01, ... 0xe7 (i mod 256). */
export const BIG_BYTES = Array.from({ length: 1000 }, (_, i) => i % 256);

export const VALUE_KINDS = `/dts-v1/;
/ {
	compatible = "ibm,a", "ibm,b", "chrp";
	escapes = "tab\\there", "quote\\"back\\\\slash", "nl\\n";
	empty-flag;
	u64-value = /bits/ 64 <0x123456789abcdef0>;
	odd-bytes = [01 02 03];
	big = [${BIG_BYTES.map((b) => b.toString(16).padStart(2, "0")).join(" ")}];
	linux,phandle = <0x5>;
	phandle = <0x5>;
};
`;

export const PSERIES = `/dts-v1/;
/memreserve/ 0x0 0x10000;
/ {
	compatible = "qemu,pseries";
	model = "IBM pSeries (emulated by qemu)";
	device_type = "chrp";
	#address-cells = <2>;
	#size-cells = <2>;

	chosen {
		bootargs = "console=hvc0";
		stdout-path = "/vdevice/vty@71000000";
	};

	rtas {
		ibm,hypertas-functions = "hcall-pft", "hcall-term", "hcall-interrupt";
		qemu,hypertas-functions = "hcall-memop1";
		rtas-size = <0x82c>;
		rtas-error-log-max = <0x800>;
		rtas-event-scan-rate = <0x1>;
		ibm,lrdr-capacity = <0x0 0x0 0x0 0x10000000 0x1>;
		ibm,associativity-reference-points = <0x4 0x4 0x2>;
		ibm,extended-os-term;
		ibm,get-system-parameter = <0x2008>;
		ibm,set-system-parameter = <0x2009>;
		ibm,set-xive = <0x200a>;
		ibm,get-xive = <0x200b>;
		ibm,int-off = <0x200c>;
		ibm,int-on = <0x200d>;
		check-exception = <0x200e>;
		event-scan = <0x200f>;
		ibm,send-hvpipe-msg = <0x2030>;
		ibm,receive-hvpipe-msg = <0x2031>;
	};

	event-sources {
		interrupt-controller;
		#interrupt-cells = <0x2>;
		interrupt-ranges = <0x1000 0x1 0x1001 0x1 0x1002 0x1>;

		epow-events {
			interrupts = <0x1000 0x0>;
		};

		hot-plug-events {
			interrupts = <0x1001 0x0>;
		};

		ibm,hvpipe-msg-events {
			interrupts = <0x1002 0x0>;
		};
	};

	interrupt-controller {
		device_type = "PowerPC-External-Interrupt-Presentation";
		compatible = "IBM,ppc-xicp";
		interrupt-controller;
		ibm,interrupt-server-ranges = <0x0 0x2>;
		#interrupt-cells = <0x2>;
		linux,phandle = <0x1111>;
		phandle = <0x1111>;
	};

	cpus {
		#address-cells = <0x1>;
		#size-cells = <0x0>;

		PowerPC,POWER9@0 {
			device_type = "cpu";
			reg = <0x0>;
			ibm,ppc-interrupt-server#s = <0x0>;
			status = "okay";
			64-bit;
		};

		PowerPC,POWER9@1 {
			device_type = "cpu";
			reg = <0x1>;
			ibm,ppc-interrupt-server#s = <0x1>;
			status = "okay";
			64-bit;
		};
	};

	memory@0 {
		device_type = "memory";
		reg = <0x0 0x0 0x0 0x20000000>;
		ibm,associativity = <0x4 0x0 0x0 0x0 0x0>;
	};
};
`;

const RTAS_TOKENS: Array<[string, number]> = [
  ["ibm,get-system-parameter", 0x2008],
  ["ibm,set-system-parameter", 0x2009],
  ["ibm,set-xive", 0x200a],
  ["ibm,get-xive", 0x200b],
  ["ibm,int-off", 0x200c],
  ["ibm,int-on", 0x200d],
  ["check-exception", 0x200e],
  ["event-scan", 0x200f],
  ["ibm,send-hvpipe-msg", 0x2030],
  ["ibm,receive-hvpipe-msg", 0x2031],
];

/** PSERIES built only through the model API, property by property in the same order. */
export function pseriesViaApi(): DeviceTree {
  const t = new DeviceTree({ reservations: [{ address: 0n, size: 0x10000n }] });
  const r = t.root;
  r.setString("compatible", "qemu,pseries")
    .setString("model", "IBM pSeries (emulated by qemu)")
    .setString("device_type", "chrp")
    .setU32("#address-cells", 2)
    .setU32("#size-cells", 2);
  r.addChild("chosen").setString("bootargs", "console=hvc0").setString("stdout-path", "/vdevice/vty@71000000");
  const rtas = r
    .addChild("rtas")
    .setStringList("ibm,hypertas-functions", ["hcall-pft", "hcall-term", "hcall-interrupt"])
    .setStringList("qemu,hypertas-functions", ["hcall-memop1"])
    .setU32("rtas-size", 0x82c)
    .setU32("rtas-error-log-max", 0x800)
    .setU32("rtas-event-scan-rate", 1)
    .setU32List("ibm,lrdr-capacity", [0, 0, 0, 0x10000000, 1])
    .setU32List("ibm,associativity-reference-points", [4, 4, 2])
    .setEmpty("ibm,extended-os-term");
  for (const [name, token] of RTAS_TOKENS) rtas.setU32(name, token);
  const ev = r
    .addChild("event-sources")
    .setEmpty("interrupt-controller")
    .setU32("#interrupt-cells", 2)
    .setU32List("interrupt-ranges", [0x1000, 1, 0x1001, 1, 0x1002, 1]);
  ev.addChild("epow-events").setU32List("interrupts", [0x1000, 0]);
  ev.addChild("hot-plug-events").setU32List("interrupts", [0x1001, 0]);
  ev.addChild("ibm,hvpipe-msg-events").setU32List("interrupts", [0x1002, 0]);
  r.addChild("interrupt-controller")
    .setString("device_type", "PowerPC-External-Interrupt-Presentation")
    .setString("compatible", "IBM,ppc-xicp")
    .setEmpty("interrupt-controller")
    .setU32List("ibm,interrupt-server-ranges", [0, 2])
    .setU32("#interrupt-cells", 2)
    .setU32("linux,phandle", 0x1111)
    .setU32("phandle", 0x1111);
  const cpus = r.addChild("cpus").setU32("#address-cells", 1).setU32("#size-cells", 0);
  for (const id of [0, 1]) {
    cpus
      .addChild(`PowerPC,POWER9@${id}`)
      .setString("device_type", "cpu")
      .setU32("reg", id)
      .setU32("ibm,ppc-interrupt-server#s", id)
      .setString("status", "okay")
      .setEmpty("64-bit");
  }
  r.addChild("memory@0")
    .setString("device_type", "memory")
    .setU32List("reg", [0, 0, 0, 0x20000000])
    .setU32List("ibm,associativity", [4, 0, 0, 0, 0]);
  return t;
}
