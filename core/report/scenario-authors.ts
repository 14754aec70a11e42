/**
 * Who saved each scenario version a report shows, read before the report is built: the model is
 * built synchronously (beside chromium's start), while a shared project asks its database. A file
 * records when a version was saved but not by whom, so it has nothing to ask.
 */
import type { Project, ScenarioAuthor } from '../store/project.js';

export interface ReportAuthors {
  authors: ScenarioAuthor[];
  /** Set when the project is a database's working copy whose database could not be asked. */
  error?: string;
}

export async function reportAuthors(project: Project): Promise<ReportAuthors> {
  if (!project.scenarioAuthors) return { authors: [] };
  const ids = (project.database.prepare('SELECT DISTINCT scenario_id FROM ekimae_scenarios ORDER BY scenario_id').all() as Array<{ scenario_id: string }>).map((r) => r.scenario_id);
  try {
    return { authors: await project.scenarioAuthors(ids) };
  } catch (e) {
    return { authors: [], error: (e as Error).message };
  }
}
