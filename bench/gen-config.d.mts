export function generate(n: number): { config: string; credentials: string };
