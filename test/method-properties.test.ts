/**
 * The Properties the package registers for each shipped method (scripts/shipped-methods.js: the
 * manifest here, the registry on Windows) are what the method module itself reports through
 * EapPeerGetMethodProperties, and carry the claims each method's RFC makes: Windows' supplicants
 * choose methods by these bits, so a wrong or empty value hides or misrepresents a method.
 */
import { openEapHost } from '../lib';
import { methodPropertyChecks } from './support/method-properties';

describe('registered method properties', function () {
  it('GetMethods reports, for every shipped method, the author and the bits the module claims', async () => {
    await using host = await openEapHost({ backend: 'portable' });
    await methodPropertyChecks(host);
  });
});
