// oracledb ships no type declarations: the driver declares the part it uses (oracleDriver.ts).
declare module 'oracledb';
