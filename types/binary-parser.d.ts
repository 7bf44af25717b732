// binary-parser's exports map carries no types under NodeNext resolution; point at its .d.ts.
declare module "binary-parser" {
  export * from "binary-parser/dist/binary_parser.js";
}
