// Every scenario of the SQL catalogue. A capability with statements no scenario reaches adds its
// scenarios to a file in ./scenarios/ and lists them here.
import type { SqlScenario } from './catalogue';
import { coreScenarios } from './scenarios/core';
import { scriptScenarios } from './scenarios/script';

export const SQL_SCENARIOS: readonly SqlScenario[] = [...coreScenarios, ...scriptScenarios];

export * from './catalogue';
