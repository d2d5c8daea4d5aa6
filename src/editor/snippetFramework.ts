/**
 * The framework of the snippet to insert into a document: `paperlens.snippets.framework`, or with
 * `auto` the framework its imports name (every cell of a notebook counts). When the imports name
 * several, the user is asked once per file and session. The decisions are core/snippets/framework.ts;
 * this file reads documents and asks.
 */
import * as vscode from 'vscode';
import {
  frameworkLabel, frameworkList, frameworksInSources, resolveSnippetFramework, type FrameworkResolution,
} from '../core/snippets/framework';
import type { SnippetFramework } from '../core/snippets/types';
import { importsMayDiffer } from '../core/python/module';
import { readConfig } from './config';
import { notebookOf, pythonCells } from './documentScans';

/** The texts whose imports tell the framework: the notebook's Python cells, or the document. */
export function frameworkSources(document: vscode.TextDocument): string[] {
  const notebook = notebookOf(document);
  return notebook ? pythonCells(notebook).map((c) => c.document.getText()) : [document.getText()];
}

/** The file a choice is remembered for: the notebook of a cell, else the document. */
function fileKey(document: vscode.TextDocument): string {
  return (notebookOf(document)?.uri ?? document.uri).toString();
}

/** The editor to write into: the active one, else a visible Python one (the sidebar may have focus). */
export function insertTargetEditor(): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (active && active.document.languageId === 'python') return active;
  return vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'python');
}

export class SnippetFrameworks {
  /** Answers to "which framework?" for files whose imports name several, for this session. */
  private readonly chosen = new Map<string, SnippetFramework>();
  /** The frameworks a document's imports name, by document and version (hovers and completions ask often). */
  private readonly detected = new Map<string, { version: string; texts: string[]; frameworks: SnippetFramework[] }>();

  /** The frameworks the imports of `document` (all cells, for a notebook) name; cached per version. */
  private frameworksOf(document: vscode.TextDocument): SnippetFramework[] {
    const notebook = notebookOf(document);
    const key = fileKey(document);
    // Version and length: an untitled document's URI can be reused by a new one, starting again at version 1.
    const stamp = (d: vscode.TextDocument): string => `${d.version}:${d.getText().length}`;
    const version = notebook ? pythonCells(notebook).map((c) => stamp(c.document)).join(',') : stamp(document);
    const cached = this.detected.get(key);
    if (cached?.version === version) return cached.frameworks;
    const texts = frameworkSources(document);
    // Typing a name in a large file changes the version on every keystroke, not the imports: keep
    // the answer when no edit since can have touched an import (reading them again is a full parse).
    const unchanged = cached !== undefined && cached.texts.length === texts.length && texts.every((t, i) => !importsMayDiffer(cached.texts[i], t));
    const frameworks = unchanged ? cached.frameworks : frameworksInSources(texts);
    if (this.detected.size > 100) this.detected.clear();
    this.detected.set(key, { version, texts, frameworks });
    return frameworks;
  }

  /** How the framework is decided for `document`, without asking (an earlier answer counts). */
  resolve(document: vscode.TextDocument): FrameworkResolution {
    const resolution = resolveSnippetFramework(readConfig(document.uri).snippets.framework, this.frameworksOf(document));
    if (resolution.kind === 'ambiguous') {
      const earlier = this.chosen.get(fileKey(document));
      if (earlier && resolution.candidates.includes(earlier)) return { kind: 'resolved', framework: earlier, reason: 'imports' };
    }
    return resolution;
  }

  /** The frameworks that fit `document`: the resolved one, or every candidate when it is ambiguous. */
  /**
   * The frameworks of the file the sidebar's Insert buttons write into (see insertTargetEditor);
   * empty when no Python editor is open. The insert command decides again on click.
   */
  forInsertTarget(): SnippetFramework[] {
    const target = insertTargetEditor();
    return target ? this.candidates(target.document) : [];
  }

  candidates(document: vscode.TextDocument): SnippetFramework[] {
    const r = this.resolve(document);
    return r.kind === 'resolved' ? [r.framework] : r.candidates;
  }

  /** The framework for `document`, asking when its imports name several. Undefined when the user cancels. */
  async choose(document: vscode.TextDocument): Promise<SnippetFramework | undefined> {
    const r = this.resolve(document);
    if (r.kind === 'resolved') return r.framework;
    const picked = await vscode.window.showQuickPick(
      r.candidates.map((framework) => ({ label: frameworkLabel(framework), framework })),
      {
        title: 'PaperLens: which framework should the implementation use?',
        placeHolder: `This file imports ${frameworkList(r.candidates, 'and')}. Set paperlens.snippets.framework to stop asking.`,
      },
    );
    if (!picked) return undefined;
    this.chosen.set(fileKey(document), picked.framework);
    return picked.framework;
  }
}
