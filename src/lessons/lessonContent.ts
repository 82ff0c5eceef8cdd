/** Reads a lesson's content from lessons/ at run time and checks it before the page sees it. */
import * as vscode from 'vscode';
import { parseLabConfig } from '../engine/config/parseLabConfig';
import type { LabConfig } from '../engine/config/labConfig';
import { checkLessonNetwork, LessonContentError } from './lessonNetworkCheck';
import { LESSON_LANGUAGES, OVERFIT_EXPERIMENT_IDS, type LessonId, type LessonLanguage, type LessonNetworkData, type OverfitExperimentId } from '../protocol/lessonProtocol';
import { errorText } from '../engine/errorText';

/** The config file of each 7-2 experiment, under lessons/7-2-experiments/. */
export const EXPERIMENT_FILES: Record<OverfitExperimentId, string> = {
  baseline: 'baseline.dnn.json',
  smallerModel: 'smaller-model.dnn.json',
  moreData: 'more-data.dnn.json',
};


/** Reads lessons/<relPath> as UTF-8. */
export async function readLessonFile(extensionUri: vscode.Uri, relPath: string): Promise<string> {
  const uri = vscode.Uri.joinPath(extensionUri, 'lessons', ...relPath.split('/'));
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (err) {
    throw new LessonContentError(`lessons/${relPath} could not be read (${errorText(err)}); reinstall DNN Lab.`);
  }
}

/** The lesson's Markdown in every language. */
export async function readLessonText(extensionUri: vscode.Uri, lesson: LessonId): Promise<Record<LessonLanguage, string>> {
  const texts = await Promise.all(LESSON_LANGUAGES.map((language) => readLessonFile(extensionUri, `${lesson}.${language}.md`)));
  return Object.fromEntries(LESSON_LANGUAGES.map((language, i) => [language, texts[i]])) as Record<LessonLanguage, string>;
}

/** Reads and checks a lesson network (7-1's stepper, 7-3's worked example). */
export async function readLessonNetwork(extensionUri: vscode.Uri, relPath: string, defaultLoss: LessonNetworkData['loss']): Promise<LessonNetworkData> {
  const text = await readLessonFile(extensionUri, relPath);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new LessonContentError(`lessons/${relPath} is not valid JSON: ${errorText(err)}`);
  }
  return checkLessonNetwork(json, `lessons/${relPath}`, defaultLoss);
}

/** A 7-2 experiment's config, validated by the engine's own parser, and its text (which keys the run cache). */
export interface ExperimentConfig {
  config: LabConfig;
  text: string;
}

/** Reads and validates the config of one 7-2 experiment. */
export async function readExperimentConfig(extensionUri: vscode.Uri, id: OverfitExperimentId): Promise<ExperimentConfig> {
  const relPath = `7-2-experiments/${EXPERIMENT_FILES[id]}`;
  const text = await readLessonFile(extensionUri, relPath);
  const parsed = parseLabConfig(text);
  if (!parsed.config) throw new LessonContentError(`lessons/${relPath}: ${parsed.errors.map((e) => e.message).join('; ')}`);
  return { config: parsed.config, text };
}

/** Every 7-2 experiment's config. */
export async function readExperimentConfigs(extensionUri: vscode.Uri): Promise<Record<OverfitExperimentId, ExperimentConfig>> {
  const configs = await Promise.all(OVERFIT_EXPERIMENT_IDS.map((id) => readExperimentConfig(extensionUri, id)));
  return Object.fromEntries(OVERFIT_EXPERIMENT_IDS.map((id, i) => [id, configs[i]])) as Record<OverfitExperimentId, ExperimentConfig>;
}
