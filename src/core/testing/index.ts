// Test helpers shared by unit and API tests; product code never imports this folder.
export * from './synthetic.js';
export * from './symbols.js';
