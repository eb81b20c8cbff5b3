import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures/app';

test.describe('choosing the default segmentation model in the settings', () => {
  test('the Model picker lists the bundled models and a pick becomes the default the status bar names', async ({ stratum }) => {
    const { page, home } = stratum;
    const picker = page.getByTestId('model-picker');
    await expect(picker).toBeVisible();
    // the built-in choice first: the float light UNet, bundled
    const float = picker.locator('[data-testid="model-row"][data-model-id="stratum-unet-light"]');
    await expect(float).toHaveAttribute('data-default', 'true');
    await expect(float).toContainText('float32 · bundled');

    const int8 = picker.locator('[data-testid="model-row"][data-model-id="stratum-unet-light-int8"]');
    const target = (await int8.count()) > 0 ? 'stratum-unet-light-int8' : 'stratum-unet-light';
    await picker.getByTestId('model-select').selectOption(target);
    const row = picker.locator(`[data-testid="model-row"][data-model-id="${target}"]`);
    await expect(row).toHaveAttribute('data-default', 'true');
    await expect(picker.getByTestId('model-error')).toHaveCount(0);
    if (target !== 'stratum-unet-light') {
      await expect(float).toHaveAttribute('data-default', 'false');
      await expect(page.getByTestId('status-model')).toContainText('int8');
    }
    // main saved it in the data folder's settings, where the CLI and the next start read it
    expect(JSON.parse(readFileSync(join(home, 'settings.json'), 'utf8'))).toMatchObject({ defaultModel: target });

    // back to the built-in choice
    await picker.getByTestId('model-select').selectOption('');
    await expect(float).toHaveAttribute('data-default', 'true');
  });
});
